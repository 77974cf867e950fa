"""adminkg loaders: one module per source kind (Korean documents, tabular records).

The document and tabular loaders arrive with the loader issue; this package is their home.
"""
