from django.urls import path

from doanket.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.program_list, name="list"),
    path("import/", views.program_import, name="import"),
    path("import/preview/", views.program_import_preview, name="import_preview"),
    path("import/save/", views.program_import_save, name="import_save"),
    path("<int:pk>/", views.program_detail, name="detail"),
    path("<int:pk>/board/", views.program_board, name="board"),
    path("<int:pk>/uptake/", views.program_uptake, name="uptake"),
    path("<int:pk>/derive/", views.program_derive, name="derive"),
    path("<int:pk>/export.docx", views.program_export, name="export"),
    path("<int:pk>/source/", views.program_source, name="source"),
    path("<int:pk>/versions/", views.program_revisions, name="revisions"),
    path("<int:pk>/revise/", views.program_revise, name="revise"),
    path("<int:pk>/items/new/", views.item_add, name="item_add"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/assign/", views.item_assign, name="item_assign"),
    path("assignments/<int:pk>/update/", views.assignment_update, name="assignment_update"),
    path("assignments/<int:pk>/remind/", views.assignment_remind, name="assignment_remind"),
    path("updates/<int:pk>/attachment/", views.update_attachment, name="update_attachment"),
    path("tasks/", views.my_tasks, name="my_tasks"),
]
