"""One router per resource: predictions, models, the review queue, health and metrics."""
