"""The organisation's contact details (联系我们): the snippet staff keep current, the contact page,
the footer that shows them on every page, and their validation. Imports core only."""
