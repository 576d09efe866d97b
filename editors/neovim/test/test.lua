-- Headless end-to-end test of the Neovim plugin against the real server:
--   STAGESMITH_SERVER=/path/to/stagesmith nvim --headless -u NONE -l editors/neovim/test/test.lua [native|lsp-config|start]
-- `native` (default) goes through setup() → vim.lsp.config/vim.lsp.enable (Neovim 0.11+);
-- `lsp-config` uses only lsp/stagesmith.lua with vim.lsp.enable, no setup();
-- `start` goes through autostart() → vim.lsp.start, the path Neovim 0.9/0.10 take.
-- Prints one TAP line per check and exits non-zero if any failed.
local mode = arg[1] or 'native'
local server = os.getenv('STAGESMITH_SERVER')
local TIMEOUT_MS = tonumber(os.getenv('STAGESMITH_TEST_TIMEOUT_MS') or '') or 15000

local script = debug.getinfo(1, 'S').source:sub(2)
local neovim_dir = vim.fs.dirname(vim.fs.dirname(vim.fn.fnamemodify(script, ':p')))
local fixture_dir = vim.fs.joinpath(vim.fs.dirname(neovim_dir), 'test-fixture')

local passed, failed = 0, 0
-- `print` goes to stderr under `nvim -l`; the report belongs on stdout.
local function report(line)
  io.stdout:write(line:gsub('\n', ' ') .. '\n')
end

local function check(name, body)
  local ok, err = pcall(body)
  if ok then
    passed = passed + 1
    report(('ok - neovim %s: %s'):format(mode, name))
  else
    failed = failed + 1
    report(('not ok - neovim %s: %s: %s'):format(mode, name, tostring(err)))
  end
  return ok
end

local function finish()
  report(('# neovim %s: %d checks passed, %d failed'):format(mode, passed, failed))
  io.stdout:flush()
  os.exit(failed == 0 and passed > 0 and 0 or 1)
end

local server_exit
local function wait_for(what, condition)
  local done = vim.wait(TIMEOUT_MS, function()
    return server_exit ~= nil or condition()
  end, 20)
  if server_exit then
    error(('%s while waiting for %s'):format(server_exit, what), 2)
  elseif not done then
    error(('timed out after %d ms waiting for %s'):format(TIMEOUT_MS, what), 2)
  end
end

if not server or server == '' then
  check('STAGESMITH_SERVER is set', function()
    error('set STAGESMITH_SERVER to the stagesmith binary')
  end)
  finish()
end

local project = vim.fn.tempname()
vim.fn.mkdir(project, 'p')
for _, name in ipairs({ 'Containerfile', '.dockerignore' }) do
  vim.fn.writefile(vim.fn.readfile(vim.fs.joinpath(fixture_dir, name), 'b'), vim.fs.joinpath(project, name), 'b')
end

vim.opt.runtimepath:prepend(neovim_dir)
vim.cmd('filetype on')
vim.cmd.runtime('plugin/stagesmith.lua')
local stagesmith = require('stagesmith')
local overrides = {
  cmd = { server, 'lsp' },
  settings = { stagesmith = { rules = { FromAsCasing = 'error' } } },
  -- A server that dies should fail the waits at once, not after their timeouts.
  on_exit = function(code, signal)
    server_exit = ('the server exited (code %s, signal %s)'):format(code, signal)
  end,
}
if mode == 'native' then
  stagesmith.setup(overrides)
elseif mode == 'lsp-config' then
  -- What a user without setup() does on 0.11: lsp/stagesmith.lua supplies filetypes and root markers.
  vim.lsp.config('stagesmith', overrides)
  vim.lsp.enable('stagesmith')
elseif mode == 'start' then
  stagesmith.autostart(vim.tbl_deep_extend('force', stagesmith.default_config(), overrides))
else
  error('unknown mode ' .. mode .. ' (native, lsp-config or start)')
end

check('file names are detected as dockerfile', function()
  for _, name in ipairs({ 'Containerfile', 'Containerfile.dev', 'api.Dockerfile', 'Dockerfile.prod', 'Dockerfile' }) do
    local filetype = vim.filetype.match({ filename = '/project/' .. name })
    assert(filetype == 'dockerfile', ('%s detected as %s'):format(name, tostring(filetype)))
  end
end)

check('nvim-lspconfig registry entry', function()
  local entry = stagesmith.lspconfig().default_config
  assert(vim.deep_equal(entry.cmd, { 'stagesmith', 'lsp' }), vim.inspect(entry.cmd))
  assert(vim.deep_equal(entry.filetypes, { 'dockerfile' }), vim.inspect(entry.filetypes))
  local root = entry.root_dir(vim.fs.joinpath(project, 'Containerfile'))
  assert(root == project, ('root_dir %s, expected %s'):format(root, project))
end)

vim.cmd.edit(vim.fs.joinpath(project, 'Containerfile'))
local buf = vim.api.nvim_get_current_buf()
local uri = vim.uri_from_bufnr(buf)
local client

local function line(index)
  return vim.api.nvim_buf_get_lines(buf, index, index + 1, true)[1]
end

local function request(method, params)
  local response, err = client:request_sync(method, params, TIMEOUT_MS, buf)
  assert(response, ('%s: %s'):format(method, tostring(err)))
  if response.err then
    error(('%s failed: %s'):format(method, response.err.message or vim.inspect(response.err)), 2)
  end
  return response.result
end

local function diagnostic_with_code(code)
  for _, diagnostic in ipairs(vim.diagnostic.get(buf)) do
    if diagnostic.code == code then
      return diagnostic
    end
  end
end

local attached = check('server attaches with the project root', function()
  wait_for('the stagesmith client', function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'stagesmith' })[1]
    return client ~= nil and client.initialized
  end)
  assert(vim.bo[buf].filetype == 'dockerfile', 'Containerfile filetype is ' .. vim.bo[buf].filetype)
  local root = vim.uv.fs_realpath(client.root_dir or client.config.root_dir)
  assert(root == vim.uv.fs_realpath(project), ('root_dir %s, expected %s'):format(root, project))
end)
if not attached then
  finish()
end

check('diagnostics arrive, with the configured severity', function()
  -- The first diagnostics may predate the server's workspace/configuration round trip: wait for the
  -- configured severity rather than judging the first publish.
  local ok = pcall(wait_for, 'FromAsCasing reported as an error', function()
    local diagnostic = diagnostic_with_code('FromAsCasing')
    return diagnostic ~= nil and diagnostic.severity == vim.diagnostic.severity.ERROR
  end)
  local diagnostic = diagnostic_with_code('FromAsCasing')
  assert(diagnostic, 'no FromAsCasing diagnostic')
  assert(ok, 'FromAsCasing has severity ' .. diagnostic.severity .. ', the configured error never arrived')
  assert(diagnostic.lnum == 1, 'FromAsCasing on line ' .. diagnostic.lnum)
  assert(diagnostic.source == 'stagesmith', 'source ' .. tostring(diagnostic.source))
end)

check('go to definition of a --from stage', function()
  local from_line = 7
  local column = line(from_line):find('build', 1, true) + 1
  local result = request('textDocument/definition', {
    textDocument = { uri = uri },
    position = { line = from_line, character = column },
  })
  assert(result ~= nil, 'no definition')
  local location = result.uri and result or result[1]
  assert(location, 'empty definition result')
  local target_uri = location.uri or location.targetUri
  local range = location.targetSelectionRange or location.range
  assert(target_uri == uri, 'definition in ' .. tostring(target_uri))
  assert(range.start.line == 1, 'definition on line ' .. range.start.line)
  local text = line(1):sub(range.start.character + 1, range['end'].character)
  assert(text == 'build', ('definition range covers %q'):format(text))
end)

check('quick fix for FromAsCasing applies', function()
  local diagnostic = diagnostic_with_code('FromAsCasing')
  assert(diagnostic, 'no FromAsCasing diagnostic to fix')
  local lsp_diagnostic = diagnostic.user_data.lsp
  local actions = request('textDocument/codeAction', {
    textDocument = { uri = uri },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' } },
  }) or {}
  local chosen
  for _, action in ipairs(actions) do
    for _, fixed in ipairs(action.diagnostics or {}) do
      if fixed.code == 'FromAsCasing' and not chosen then
        chosen = action
      end
    end
  end
  assert(chosen, 'no quick fix among ' .. vim.inspect(vim.tbl_map(function(a)
    return a.title
  end, actions)))
  if not chosen.edit and not chosen.command then
    chosen = request('codeAction/resolve', chosen)
  end
  if chosen.edit then
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  end
  if chosen.command then
    local command = type(chosen.command) == 'table' and chosen.command or chosen
    request('workspace/executeCommand', { command = command.command, arguments = command.arguments })
  end
  assert(line(1) == 'FROM golang:1.22 AS build', 'line 2 is now ' .. line(1))
  wait_for('FromAsCasing to clear after the fix', function()
    return diagnostic_with_code('FromAsCasing') == nil
  end)
end)

check('completion after COPY --from= offers earlier stages only', function()
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, true, { 'COPY --from=' })
  local result = request('textDocument/completion', {
    textDocument = { uri = uri },
    position = { line = last, character = #'COPY --from=' },
  })
  local items = result and (result.items or result) or {}
  local labels = vim.tbl_map(function(item)
    return item.label
  end, items)
  assert(vim.tbl_contains(labels, 'build'), 'no "build" in ' .. vim.inspect(labels))
  assert(not vim.tbl_contains(labels, 'runtime'), 'the current stage "runtime" was offered: ' .. vim.inspect(labels))
end)

check('server shuts down cleanly', function()
  client:stop()
  assert(vim.wait(TIMEOUT_MS, function()
    return client:is_stopped() and server_exit ~= nil
  end, 20), 'the server did not exit after shutdown')
  assert(server_exit:find('code 0, signal 0', 1, true), server_exit)
end)

finish()
