"""iCalendar feeds, outside the language prefix: calendar apps subscribe to a fixed address."""

from django.urls import path

from attendance import feeds

app_name = "attendance_feeds"

urlpatterns = [
    path("feeds/workshops/<str:code>.ics", feeds.workshop_feed, name="workshop"),
    path("feeds/people/<str:token>.ics", feeds.person_feed, name="person"),
]
