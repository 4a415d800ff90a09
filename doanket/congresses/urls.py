from django.urls import path

from doanket.congresses import views

app_name = "congresses"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("new", views.congress_new, name="new"),
    path("<int:pk>/", views.congress_detail, name="detail"),
    path("<int:pk>/edit", views.congress_edit, name="edit"),
    path("<int:pk>/steps", views.step_add, name="step_add"),
    path("steps/<int:pk>", views.step_record, name="step"),
    path("<int:pk>/committee", views.elect, name="elect"),
    path("<int:pk>/people", views.people, name="people"),
    path("<int:pk>/resolution", views.resolution, name="resolution"),
    path("<int:pk>/targets", views.target_add, name="target_add"),
    path("targets/<int:pk>/delete", views.target_delete, name="target_delete"),
    path("<int:pk>/review", views.review, name="review"),
    path("<int:pk>/review.docx", views.review_docx, name="review_docx"),
]
