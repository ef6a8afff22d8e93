-- gwlint language server for Neovim 0.11+ (`:help lsp-config`).
-- Put editors/nvim on 'runtimepath' (or copy this file to ~/.config/nvim/lsp/gwlint.lua),
-- then call vim.lsp.enable('gwlint'). Settings go in init_options (see README.md).
return {
  cmd = { 'gwlint', 'server' },
  filetypes = { 'text', 'markdown' },
  root_markers = { 'gwlint.yaml', '.gwlint.yaml', '.git' },
  -- The same shape as the VS Code extension's settings:
  -- { select = {...}, ignore = {...}, rules = { ['rule-id'] = { severity = 'hint' } },
  --   extraRuleFolders = {...} }
  init_options = vim.empty_dict(),
}
