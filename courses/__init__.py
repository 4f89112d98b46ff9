"""Course content authored in Wagtail (pages, lessons)."""
