"""The agent service: sample → ledger → decide → act → record. Never imports Qt."""
