"""Operations scripts (not an app, no model): backup and restore, `make backup` / `make restore`."""
