-- End-to-end test with a real client, run by tests/nvim_e2e.rs:
--   nvim --headless --clean -S tests/nvim/e2e.lua
-- Env: GWLINT_REPO (the repository), GWLINT_DRAFT (a draft with a Chinese file name);
-- `gwlint` must be on PATH. Exits 0 on success; on failure writes "FAIL: …" and exits 1.
local repo = assert(os.getenv('GWLINT_REPO'), 'GWLINT_REPO not set')
local draft = assert(os.getenv('GWLINT_DRAFT'), 'GWLINT_DRAFT not set')

local function say(msg)
  io.stdout:write(msg .. '\n')
end

local function fail(msg)
  io.stderr:write('FAIL: ' .. msg .. '\n')
  vim.cmd('cquit 1')
end

local ok, err = pcall(function()
  -- Load the editors/nvim config the way a user would.
  if vim.fn.has('nvim-0.11') == 1 then
    say('Neovim ' .. tostring(vim.version()) .. ': vim.lsp.enable with editors/nvim/lsp/gwlint.lua')
    vim.opt.runtimepath:prepend(repo .. '/editors/nvim')
    vim.lsp.enable('gwlint')
  else
    local v = vim.version()
    say(('Neovim %d.%d.%d: editors/nvim/legacy.lua (start_client + autocmd)'):format(v.major, v.minor, v.patch))
    dofile(repo .. '/editors/nvim/legacy.lua')
    -- The 0.11+ config cannot be enabled here; check at least that it loads and agrees.
    local cfg = dofile(repo .. '/editors/nvim/lsp/gwlint.lua')
    if not (cfg.cmd[1] == 'gwlint' and cfg.cmd[2] == 'server'
        and vim.tbl_contains(cfg.filetypes, 'text') and vim.tbl_contains(cfg.filetypes, 'markdown')) then
      fail('editors/nvim/lsp/gwlint.lua: unexpected ' .. vim.inspect(cfg))
    end
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(draft))
  local buf = vim.api.nvim_get_current_buf()
  if vim.bo[buf].filetype ~= 'text' then
    fail('filetype is ' .. vim.bo[buf].filetype)
  end

  -- Diagnostics, as the user sees them.
  local expected = {
    { 1, 'doc-number-bracket' },
    { 2, 'half-width-punctuation' },
    { 3, 'space-between-han' },
    { 3, 'percent-sign-missing' },
    { 4, 'template-placeholder' },
  }
  local function got()
    local list = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      table.insert(list, { d.lnum, code, d.col, d.source })
    end
    table.sort(list, function(a, b)
      if a[1] ~= b[1] then
        return a[1] < b[1]
      end
      return a[3] < b[3]
    end)
    return list
  end
  if not vim.wait(20000, function() return #vim.diagnostic.get(buf) >= #expected end, 50) then
    fail('no diagnostics after 20 s; got ' .. vim.inspect(got()))
  end
  local list = got()
  if #list ~= #expected then
    fail('expected ' .. #expected .. ' diagnostics, got ' .. vim.inspect(list))
  end
  for i, e in ipairs(expected) do
    if list[i][1] ~= e[1] or list[i][2] ~= e[2] or list[i][4] ~= 'gwlint' then
      fail(('diagnostic %d: expected %s on line %d, got %s'):format(i, e[2], e[1] + 1, vim.inspect(list[i])))
    end
  end
  -- Byte column of the bracket on line 2 (区政发 = 9 bytes): positions converted right.
  if list[1][3] ~= 9 then
    fail('doc-number-bracket column: expected byte 9, got ' .. tostring(list[1][3]))
  end
  say('diagnostics: ' .. vim.inspect(list))

  -- Runs the code action at {line, col} whose title contains every word, choosing it in
  -- the menu as a user would; returns its title.
  local function run_action(cursor, words)
    vim.api.nvim_win_set_cursor(0, cursor)
    local chosen
    vim.ui.select = function(items, _, on_choice)
      for _, item in ipairs(items) do
        local action = item.action or item[2]
        local title = action and action.kind == 'quickfix' and action.title or ''
        local all = true
        for _, w in ipairs(words) do
          all = all and title:find(w, 1, true) ~= nil
        end
        if all then
          chosen = title
          return on_choice(item)
        end
      end
      on_choice(nil)
    end
    vim.lsp.buf.code_action()
    return function() return chosen end
  end
  -- The rule's diagnostic is gone and `count` diagnostics are left.
  local function gone(rule, count)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if (d.code or d.user_data.lsp.code) == rule then
        return false
      end
    end
    return #vim.diagnostic.get(buf) == count
  end

  -- Apply the quick fix through the normal code-action path.
  local chosen_fix = run_action({ 2, 10 }, { '〔2024〕' })
  local want = '区政发〔2024〕3号'
  if not vim.wait(10000, function()
    return vim.api.nvim_buf_get_lines(buf, 1, 2, false)[1] == want
  end, 50) then
    fail('after the quick fix line 2 is ' .. vim.inspect(vim.api.nvim_buf_get_lines(buf, 0, -1, false))
      .. ' (chosen: ' .. tostring(chosen_fix()) .. ')')
  end
  say('quick fix applied: ' .. chosen_fix())

  -- The server re-lints the changed buffer: the bracket diagnostic goes away.
  if not vim.wait(10000, function() return gone('doc-number-bracket', #expected - 1) end, 50) then
    fail('after the fix: ' .. vim.inspect(got()))
  end
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  if lines[1] ~= '关于印发《2024年度工作要点》的通知' or lines[3] ~= '各科室:' then
    fail('other lines changed: ' .. vim.inspect(lines))
  end

  -- Accept a finding: the action on the placeholder (line 5, 党的XX大) records it in
  -- .gwlint-ignore.yaml beside the draft, as `gwlint check --add-ignore` would.
  local accepted = run_action({ 5, 19 }, { '接受这个问题', 'template-placeholder' })
  local ignore_file = vim.fn.fnamemodify(draft, ':h') .. '/.gwlint-ignore.yaml'
  if not vim.wait(10000, function()
    return vim.fn.filereadable(ignore_file) == 1 and gone('template-placeholder', #expected - 2)
  end, 50) then
    fail('after accepting (chosen: ' .. tostring(accepted()) .. '): ignore file '
      .. vim.fn.filereadable(ignore_file) .. ', diagnostics ' .. vim.inspect(got()))
  end
  say('accepted: ' .. accepted())
  say('OK')
end)
if not ok then
  fail(tostring(err))
end
vim.cmd('qall!')
