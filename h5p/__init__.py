"""H5P interactive content: package checks, the shared library store and extraction.

Upload flow: archive.check_archive (our own safety checks, before anything is
read or extracted) → package.inspect_package (pyh5p parses h5p.json,
content.json and library.json; dependencies are resolved against the store)
→ services.h5p_content_create (record + original package in private storage)
→ tasks.extract_h5p_content (content files and new libraries into storage).
"""
