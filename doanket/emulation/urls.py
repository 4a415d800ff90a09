from django.urls import path

from doanket.emulation import views

app_name = "emulation"

urlpatterns = [
    path("", views.movement_list, name="list"),
    path("new", views.movement_new, name="new"),
    path("<int:pk>/", views.movement_detail, name="movement"),
    path("<int:pk>/criteria", views.criterion_add, name="criterion_add"),
    path("<int:pk>/register", views.register, name="register"),
    path("<int:pk>/reviews/new", views.review_new, name="review_new"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("reviews/<int:pk>/compute", views.review_compute, name="review_compute"),
    path("reviews/<int:pk>/units/<int:unit_pk>/", views.review_unit, name="review_unit"),
    path("reviews/<int:pk>/score", views.review_score, name="review_score"),
    path("reviews/<int:pk>/self", views.review_self, name="review_self"),
    path("awards/", views.award_list, name="awards"),
    path("awards/new", views.award_new, name="award_new"),
    path("awards/people", views.award_people, name="award_people"),
    path("awards/decide", views.award_decide, name="award_decide"),
    path("awards/<int:pk>/", views.award_detail, name="award"),
    path("awards/<int:pk>/review", views.award_review, name="award_review"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/docx", views.decision_docx, name="decision_docx"),
    path("models/", views.exemplar_list, name="exemplars"),
    path("models/new", views.exemplar_new, name="exemplar_new"),
    path("models/<int:pk>/", views.exemplar_detail, name="exemplar"),
    path("models/<int:pk>/adopt", views.exemplar_adopt, name="exemplar_adopt"),
    path("models/<int:pk>/nominate", views.exemplar_nominate, name="exemplar_nominate"),
    path("models/<int:pk>/evidence", views.exemplar_evidence, name="exemplar_evidence"),
]
