"""The upload loader (issue 13.1): uploaded and linked tables into the DataStore."""

# what other features may import: resilience requeues loads left waiting (jobs, model)
PUBLIC = ("jobs", "model")
