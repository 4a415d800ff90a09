from django.urls import path

from doanket.news import views

app_name = "news"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new", views.item_new, name="new"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/photo", views.item_photo, name="photo"),
    path("<int:pk>/publish", views.item_publish, name="publish"),
    path("<int:pk>/withdraw", views.item_withdraw, name="withdraw"),
    path("diplomacy/", views.activity_list, name="activities"),
    path("diplomacy/new", views.activity_new, name="activity_new"),
    path("diplomacy/<int:pk>/draft", views.activity_draft, name="activity_draft"),
]
