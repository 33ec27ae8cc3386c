"""Follow-up models arrive with replies, revisits, escalations and closure approval."""
