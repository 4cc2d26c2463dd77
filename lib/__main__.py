"""``python -m lib``: Factdesk's command line (see lib/cli)."""
from lib.cli import main

main()
