from django.urls import path

from doanket.outreach import views

app_name = "outreach"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/options", views.people_options, name="people_options"),
    path("visits/", views.visit_list, name="visits"),
    path("visits/new", views.visit_new, name="visit_new"),
    path("hot-spots/", views.hot_spot_list, name="hot_spots"),
    path("hot-spots/new", views.hot_spot_new, name="hot_spot_new"),
    path("hot-spots/<int:pk>/", views.hot_spot_detail, name="hot_spot"),
    path("hot-spots/<int:pk>/act", views.hot_spot_act, name="hot_spot_act"),
]
