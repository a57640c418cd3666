"""H5P interactive content: package checks, the shared library store and extraction.

Upload flow: archive.check_archive (our own safety checks, before anything is
read or extracted) → package.inspect_package (validation checks the files and
JSON files against H5P core's rules, dependencies resolved against the store,
every problem at once; then pyh5p reads the package)
→ services.h5p_content_create (record + original package in private storage)
→ tasks.extract_h5p_content (content files and new libraries into storage).
"""
