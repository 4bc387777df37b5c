"""The image and document libraries: uploads that must decode, pictures stored without camera
metadata, and file replacement under review with the old file kept. Imports core and news."""
