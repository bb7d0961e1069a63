-- The thesis language server (`thesis lsp`) in Neovim 0.7 or later, without
-- plugins: `:luafile /path/to/thesis.lua` or `dofile(...)` from init.lua.
-- A Markdown, YAML or BibTeX buffer inside a thesis folder (one with
-- thesis/thesis.yaml above it) is attached to one server per thesis folder:
-- the toolchain the folder installed (node_modules/.bin/thesis), else `npx thesis`.
-- Tried headless with Neovim 0.7.2 (Debian): diagnostics and completion arrive.
local clients = {}

local function thesis_root(file)
  local found = vim.fn.findfile('thesis/thesis.yaml', vim.fn.fnamemodify(file, ':p:h') .. ';')
  if found == '' then return nil end
  return vim.fn.fnamemodify(found, ':p:h:h')
end

vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'markdown', 'yaml', 'bib' },
  callback = function(args)
    local root = thesis_root(vim.api.nvim_buf_get_name(args.buf))
    if not root then return end
    if not clients[root] then
      local local_bin = root .. '/node_modules/.bin/thesis'
      local cmd = vim.fn.executable(local_bin) == 1 and { local_bin, 'lsp', '--stdio' } or { 'npx', 'thesis', 'lsp', '--stdio' }
      clients[root] = vim.lsp.start_client({ name = 'thesis', cmd = cmd, root_dir = root })
    end
    vim.lsp.buf_attach_client(args.buf, clients[root])
  end,
})
