from django.urls import path

from doanket.portal import funds, news, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("petitions/new", views.petition_new, name="new"),
    path("petitions/sent", views.sent, name="sent"),
    path("petitions/sent/forget", views.forget_code, name="forget_code"),
    path("petitions/track", views.track, name="track"),
    path("places", views.places, name="places"),
    path("answers/", views.answers, name="answers"),
    path("answers/<int:pk>", views.answer, name="answer"),
    path("meetings/", views.meetings, name="meetings"),
    path("recognition/", views.recognition, name="recognition"),
    path("news/", news.news, name="news"),
    path("news/rss.xml", news.rss, name="news_rss"),
    path("news/atom.xml", news.atom, name="news_atom"),
    path("news/<int:pk>/", news.item, name="news_item"),
    path("news/<int:pk>/photo", news.photo, name="news_photo"),
    path("news/unit/<int:unit>/", news.unit_news, name="news_unit"),
    path("news/unit/<int:unit>/rss.xml", news.rss, name="news_unit_rss"),
    path("news/unit/<int:unit>/atom.xml", news.atom, name="news_unit_atom"),
    path("funds/", funds.campaigns, name="funds"),
    path("funds/<int:pk>/", funds.campaign, name="fund"),
    path("funds/<int:pk>/entries.csv", funds.campaign_csv, name="fund_csv"),
    path("funds/<int:pk>/entries.json", funds.campaign_json, name="fund_json"),
    path("ledger/checkpoint", funds.checkpoint, name="ledger_checkpoint"),
    path("ledger/keys", funds.verifier_keys, name="ledger_keys"),
    path("ledger/tile/<path:path>", funds.tile, name="ledger_tile"),
    path("ledger/proof/<int:index>", funds.proof, name="ledger_proof"),
    path("ledger/consistency", funds.consistency, name="ledger_consistency"),
]
