-- A headless check of editors/neovim/thesis.lua, run from a thesis folder:
--   nvim --headless -u /path/to/editors/neovim/thesis.lua -c "luafile /path/to/editors/neovim/probe.lua"
-- It opens thesis/one.md, waits for two diagnostics, prints them, a completion after @fou, and quits.
vim.cmd('edit thesis/one.md')
local ok = vim.wait(20000, function() return #vim.diagnostic.get(0) >= 2 end, 200)
for _, d in ipairs(vim.diagnostic.get(0)) do
  io.stdout:write(string.format('%d:%d %s [%s]\n', d.lnum + 1, d.col + 1, d.message, d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or ''))
end
-- completion after @
vim.api.nvim_buf_set_lines(0, 3, 3, false, { '', 'See @fou' })
local params = { textDocument = vim.lsp.util.make_text_document_params(), position = { line = 4, character = 8 } }
local results = vim.lsp.buf_request_sync(0, 'textDocument/completion', params, 10000)
for _, r in pairs(results or {}) do
  local items = r.result and (r.result.items or r.result) or {}
  for _, item in ipairs(items) do io.stdout:write('completion: ' .. item.label .. '\n') end
end
local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', { textDocument = params.textDocument, position = { line = 2, character = 24 } }, 10000)
for _, r in pairs(hover or {}) do if r.result then io.stdout:write('hover: ' .. vim.inspect(r.result.contents.value):sub(1, 200) .. '\n') end end
vim.cmd('qa!')
