from django.urls import path

from doanket.supervision import views, views_criticism

app_name = "supervision"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("plans/new", views.plan_new, name="plan_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/report.docx", views.plan_report, name="plan_report"),
    path("plans/<int:pk>/supervisions", views.supervision_add, name="supervision_add"),
    path("<int:pk>/", views.supervision_detail, name="supervision"),
    path("<int:pk>/update", views.supervision_update, name="supervision_update"),
    path("<int:pk>/persons", views.person_add, name="person_add"),
    path("<int:pk>/opinions", views.opinion_add, name="opinion_add"),
    path("<int:pk>/recommendations", views.recommend, name="recommend"),
    path("recommendations/", views.recommendation_list, name="recommendations"),
    path("recommendations/<int:pk>/answer", views.answer, name="answer"),
    path("recommendations/<int:pk>/chase", views.chase, name="chase"),
    path("boards/", views.board_list, name="boards"),
    path("boards/<int:pk>/", views.board_detail, name="board"),
    path("boards/<int:pk>/inspections", views.inspection_add, name="inspection_add"),
    path("boards/<int:pk>/projects", views.project_add, name="project_add"),
    path("projects/<int:pk>/update", views.project_update, name="project_update"),
    path("criticism/", views_criticism.draft_list, name="drafts"),
    path("criticism/new", views_criticism.draft_new, name="draft_new"),
    path("criticism/<int:pk>/", views_criticism.draft_detail, name="draft"),
    path("criticism/<int:pk>/opinions", views_criticism.draft_opinion, name="draft_opinion"),
    path("criticism/<int:pk>/compose", views_criticism.draft_compose, name="draft_compose"),
    path("criticism/<int:pk>/issue", views_criticism.draft_issue, name="draft_issue"),
    path("criticism/<int:pk>/docx", views_criticism.draft_docx, name="draft_docx"),
    path("criticism/points/<int:pk>/edit", views_criticism.point_edit, name="point_edit"),
    path("criticism/points/<int:pk>/answer", views_criticism.point_answer, name="point_answer"),
]
