from django.contrib.auth import views as auth_views
from django.urls import path

from doanket.accounts import oidc, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("sso/start/", oidc.Start.as_view(), name="sso_start"),
    path("sso/callback/", oidc.Callback.as_view(), name="sso_callback"),
    path("two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("audit/", views.audit_log, name="audit_log"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("grants/<int:pk>/revoke/", views.grant_revoke, name="grant_revoke"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password/reset/done/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("sessions/", views.session_list, name="sessions"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/new/", views.token_new, name="token_new"),
    path("tokens/<int:pk>/", views.token_detail, name="token"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
