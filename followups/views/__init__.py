"""The follow-up pages: my shift (R-FUP-1), the inbox, and the step forms of a complaint."""
