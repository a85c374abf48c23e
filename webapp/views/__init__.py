"""The blueprints, one per audience: careers pages, applying, webhooks, admin."""
