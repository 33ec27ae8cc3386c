"""`python -m ops.restore BACKUP`: see ops/backup.py."""

from ops.backup import main_restore

if __name__ == "__main__":
    main_restore()
