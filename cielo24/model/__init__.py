"""One module per model, e.g. ``cielo24.model.new_job_body.NewJobBody``; see cielo24.models."""
