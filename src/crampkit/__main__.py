"""``python -m crampkit``."""

from crampkit.cli import main_entry

if __name__ == "__main__":
    main_entry()
