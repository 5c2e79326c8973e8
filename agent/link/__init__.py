"""The agent's side of the parent link: pairing-code state, the HTTP endpoint, zeroconf advertisement."""
