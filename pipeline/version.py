"""The pipeline version stored in every record. Bump it when output for the same input changes."""

PIPELINE_VERSION = "0.1.0"
