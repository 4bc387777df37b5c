"""The newsroom: home, column and article pages, their blocks and pictures, feeds, the site tree,
roles, review and scheduling; with rooms for click counting (hits/), search (search/), serving
and the page cache (serving/), importing (importing/) and the image and document library
(library/). It may import core and contact."""
