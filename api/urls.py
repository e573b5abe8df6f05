"""``/api/v1/`` in each edition (config/urls.py mounts it among the edition's addresses). Each
address tells the page cache which query parameters it reads (``endpoints.READS``), so that
``?cursor=…`` or ``?tagged=…`` makes an answer of its own and ``?utm_source=…`` does not."""

from api.endpoints import READS, api
from nejat.delivery.addresses import reads_query

urlpatterns, _app, _namespace = api.urls
app_name = "api"  # (api:articles, api:article, …)
for pattern in urlpatterns:
    reads_query(*READS.get(pattern.name, ()))(pattern.callback)
