"""The image and document libraries: uploads that are what their names say and that decode,
pictures stored without camera metadata, and changes to what a live page shows of them (a new
file, title, focal point or collection, or a delete) under review, the old file kept. It sits
below the pages, whose blocks name its kinds of file, and asks for a permission the roles grant
rather than importing them. Imports core."""
