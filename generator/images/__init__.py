"""Article images: resized, re-encoded and stripped of metadata; social cards for link previews."""
