"""The digital-skills kit: lessons as data (resources/skills), checked against a JSON Schema, by age band."""
