from django.urls import path

from inhouse.inbox import views

app_name = "inbox"
urlpatterns = [
    path("", views.inbox_list, name="list"),
    path("close-spam/", views.close_spam, name="close_spam"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/escalate/", views.escalate, name="escalate"),
    path("<int:pk>/close/", views.close, name="close"),
    path("tasks/", views.tasks, name="tasks"),
    path("cost/", views.cost, name="cost"),
    path("tasks/<int:pk>/answer/", views.answer, name="answer"),
    path("customers/<int:pk>/", views.customer, name="customer"),
    path("customers/<int:pk>/note/", views.customer_note, name="customer_note"),
    path("customers/<int:pk>/tags/", views.customer_tags, name="customer_tags"),
]
