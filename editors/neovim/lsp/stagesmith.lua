-- Neovim 0.11+: `vim.lsp.enable('stagesmith')` picks this up from the runtimepath.
-- Override any field with `vim.lsp.config('stagesmith', { ... })`.
return require('stagesmith').default_config()
