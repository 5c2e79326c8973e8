"""The agent side of the MQTT relay (docs/relay.md): the bridge to the link service, and the family broker set-up."""
