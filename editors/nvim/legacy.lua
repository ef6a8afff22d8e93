-- gwlint for Neovim 0.7–0.10: start one gwlint server and attach it to every text and
-- markdown buffer. Put this in init.lua (or `dofile` this file).
local gwlint_client_id
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'text', 'markdown' },
  callback = function(args)
    if not gwlint_client_id then
      gwlint_client_id = vim.lsp.start_client({
        name = 'gwlint',
        cmd = { 'gwlint', 'server' },
        root_dir = vim.fn.getcwd(),
        -- e.g. { rules = { ['space-between-han'] = { severity = 'hint' } } }
        init_options = vim.empty_dict(),
      })
    end
    if gwlint_client_id then
      vim.lsp.buf_attach_client(args.buf, gwlint_client_id)
    end
  end,
})
