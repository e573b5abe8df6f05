"""/metrics read as Prometheus reads it: each sample by its name and labels."""

from prometheus_client.parser import text_string_to_metric_families


def samples(text):
    """{(name, frozenset of label pairs): value} for every sample of an exposition."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found, name, default=0.0, **labels):
    return found.get((name, frozenset(labels.items())), default)
