--- stagesmith for Neovim: the language server for multi-stage Dockerfiles.
---
--- Neovim 0.11+: `require('stagesmith').setup(opts)` registers the config with `vim.lsp.config` and
--- calls `vim.lsp.enable` (the same config is also in `lsp/stagesmith.lua` for `vim.lsp.enable` alone).
--- Neovim 0.9/0.10: `setup` starts the server with `vim.lsp.start` for every `dockerfile` buffer.
local M = {}

--- File names that are Dockerfiles but older Neovim versions do not recognise.
M.filetype_rules = {
  filename = {
    Containerfile = 'dockerfile',
  },
  pattern = {
    ['.*/[^/]*%.[Dd]ockerfile'] = 'dockerfile',
    ['.*/Dockerfile%.[^/]*'] = 'dockerfile',
    ['.*/Containerfile%.[^/]*'] = 'dockerfile',
  },
}

--- The defaults; `setup` merges the user's options over a copy.
function M.default_config()
  return {
    cmd = { 'stagesmith', 'lsp' },
    filetypes = { 'dockerfile' },
    root_markers = { '.stagesmith.toml', '.dockerignore', '.git' },
    -- Answered to the server's workspace/configuration requests for section `stagesmith`,
    -- e.g. { stagesmith = { rules = { UnusedStage = 'off', FinalStageRunsAsRoot = 'error' } } }.
    settings = { stagesmith = vim.empty_dict() },
  }
end

local function merged_config(opts)
  return vim.tbl_deep_extend('force', M.default_config(), opts or {})
end

--- The directory the server should treat as the project: the nearest one (upwards from `file`)
--- holding a root marker, else the file's own directory.
function M.find_root(file, markers)
  local start = vim.fs.dirname(file)
  local found = vim.fs.find(markers, { path = start, upward = true, limit = 1 })[1]
  return found and vim.fs.dirname(found) or start
end

local function buffer_root(bufnr, markers)
  local file = vim.api.nvim_buf_get_name(bufnr)
  return file == '' and vim.fn.getcwd() or M.find_root(file, markers)
end

local function has_native_lsp_config()
  return vim.lsp.config ~= nil and vim.lsp.enable ~= nil
end

--- Neovim 0.11+: register and enable the `stagesmith` config.
function M.enable(config)
  vim.lsp.config('stagesmith', config)
  vim.lsp.enable('stagesmith')
end

--- Start (or reuse) the server for one buffer with `vim.lsp.start`; works on Neovim 0.9 and later.
function M.start(bufnr, config)
  local start_config = vim.tbl_extend('force', {}, config, {
    name = 'stagesmith',
    root_dir = buffer_root(bufnr, config.root_markers),
  })
  start_config.filetypes = nil
  start_config.root_markers = nil
  return vim.lsp.start(start_config, { bufnr = bufnr })
end

--- Attach `M.start` to every current and future buffer of the configured filetypes.
function M.autostart(config)
  local group = vim.api.nvim_create_augroup('stagesmith', { clear = true })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = config.filetypes,
    callback = function(args)
      M.start(args.buf, config)
    end,
  })
  -- A plugin manager that loads this on `ft = 'dockerfile'` does so after the first FileType event.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(config.filetypes, vim.bo[bufnr].filetype) then
      M.start(bufnr, config)
    end
  end
end

--- opts: any `vim.lsp.Config` fields (cmd, settings, on_attach, capabilities, …) over the defaults.
function M.setup(opts)
  local config = merged_config(opts)
  if has_native_lsp_config() then
    M.enable(config)
  else
    M.autostart(config)
  end
end

--- For nvim-lspconfig's `configs` registry on Neovim 0.10 and older:
---   require('lspconfig.configs').stagesmith = require('stagesmith').lspconfig()
---   require('lspconfig').stagesmith.setup({})
function M.lspconfig()
  local defaults = M.default_config()
  local markers = defaults.root_markers
  defaults.root_markers = nil
  defaults.root_dir = function(fname)
    return M.find_root(fname, markers)
  end
  return { default_config = defaults }
end

return M
