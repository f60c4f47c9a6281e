from django.urls import path

from govmedia.monitoring import views

urlpatterns = [
    path("posts/", views.post_list, name="post_list"),
    path("posts/export.xlsx", views.post_export, name="post_export"),
    path("posts/new/", views.post_new, name="post_new"),
    path("posts/import/", views.post_import, name="post_import"),
    path("posts/import/template.xlsx", views.post_template, name="post_template"),
    path("posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("interactions/", views.interaction_list, name="interaction_list"),
    path("interactions/export.xlsx", views.interaction_export, name="interaction_export"),
    path("interactions/import/", views.interaction_import, name="interaction_import"),
    path("interactions/import/template.xlsx", views.interaction_template, name="interaction_template"),
    path("interactions/<int:pk>/reply/", views.interaction_reply, name="interaction_reply"),
    path("feeds/", views.feed_overview, name="feed_overview"),
    path("accounts/<int:pk>/feeds/", views.feed_list, name="feed_list"),
    path("accounts/<int:pk>/feeds/<int:feed_pk>/", views.feed_edit, name="feed_edit"),
    path("accounts/<int:pk>/feeds/<int:feed_pk>/fetch/", views.feed_fetch, name="feed_fetch"),
]
