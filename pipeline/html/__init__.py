"""HTML articles: ``extract`` turns a source into translation slots (the one traversal that decides what a
unit is); ``build`` writes the translated page from the same slots."""
