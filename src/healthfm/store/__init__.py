"""The patient store: MEDS event shards, the content-addressed blob store and the SQL catalog."""
