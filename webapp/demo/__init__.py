"""The demo company, its positions and sample résumés."""
