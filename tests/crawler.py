"""What a search engine finds: every address /sitemap.xml names, through its index."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(client):
    """{address: lastmod} of every page of the sitemap, the index followed."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200, index.status_code
    entries = {}
    for location in ET.fromstring(index.content).iterfind("s:sitemap/s:loc", NS):
        address = urlsplit(location.text)
        page = client.get(address.path, {"p": address.query.removeprefix("p=")})
        assert page.status_code == 200, (location.text, page.status_code)
        for url in ET.fromstring(page.content).iterfind("s:url", NS):
            entries[url.findtext("s:loc", namespaces=NS)] = url.findtext("s:lastmod", namespaces=NS)
    return entries


def sitemap_paths(client):
    """The paths of every address the sitemap names."""
    return {urlsplit(location).path for location in sitemap_entries(client)}
