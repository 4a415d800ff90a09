from django.urls import path

from doanket.training import views

app_name = "training"

urlpatterns = [
    path("", views.course_list, name="courses"),
    path("new", views.course_new, name="course_new"),
    path("<int:pk>/", views.course_detail, name="course"),
    path("<int:pk>/edit", views.course_edit, name="course_edit"),
    path("<int:pk>/attendees", views.attendees_add, name="attendees_add"),
    path("<int:pk>/import", views.attendees_import, name="attendees_import"),
    path("<int:pk>/materials", views.material_add, name="material_add"),
    path("materials/<int:pk>", views.material, name="material"),
    path("attendances/<int:pk>/result", views.attendance_result, name="attendance_result"),
    path("attendances/<int:pk>/remove", views.attendance_remove, name="attendance_remove"),
    path("people/<int:pk>/", views.person_history, name="person"),
    path("untrained/", views.untrained, name="untrained"),
    path("untrained/<int:pk>/", views.untrained_commune, name="untrained_commune"),
]
