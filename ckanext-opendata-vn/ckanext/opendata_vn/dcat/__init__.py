"""DCAT-AP 3 out (RDF profile, streaming export) and in (harvest mapping)."""

PUBLIC = ()
