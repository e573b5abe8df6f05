"""Mail goes out from a job-queue worker (nejat/ops/mail.py), through a real SMTP server here:
queued with the change it tells of (or not at all), sent once a worker takes it, and kept and
retried while the server cannot be reached."""

import socket

import pytest
from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.test import Client
from procrastinate.contrib.django.models import ProcrastinateJob

from nejat.ops.jobs import run_queued_jobs
from nejat.pages.models import ContactMessage, SiteSettings
from tests.helpers.forms import contact_data

SEND = "nejat.ops.mail.send_email"


@pytest.fixture
def mail_by_queue(settings, queued, smtp_server):
    """Mail as production sends it: queued, then delivered by SMTP to the test's server."""
    settings.EMAIL_BACKEND = "nejat.ops.mail.QueuedEmailBackend"
    settings.MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    row = SiteSettings.load()
    row.contact_email = "desk@example.org"
    row.save()
    return smtp_server


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_a_contact_message_is_mailed_by_a_worker_not_the_request(mail_by_queue, client):
    response = client.post("/fa/contact/", contact_data(subject="پرسش", message="سلام، دبیران"))
    assert response.status_code == 302
    (job,) = ProcrastinateJob.objects.filter(task_name=SEND)
    assert job.status == "todo" and job.queue_name == "mail"
    assert mail_by_queue.received() == []  # the request sent nothing itself

    run_queued_jobs(["mail"])
    (mail,) = mail_by_queue.received()
    assert mail["To"] == "desk@example.org" and mail["Reply-To"] == "reader@example.org"
    assert "سلام، دبیران" in mail.get_payload(decode=True).decode()
    run_queued_jobs(["mail"])
    assert len(mail_by_queue.received()) == 1  # a job is done once


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_queues_no_mail(mail_by_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        EmailMessage("Kept?", "No.", to=["desk@example.org"]).send()
        assert ProcrastinateJob.objects.filter(task_name=SEND).count() == 1
        raise RuntimeError("the change fails")
    assert not ProcrastinateJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_header_with_a_line_break_is_refused_where_it_is_made(mail_by_queue):
    with pytest.raises(BadHeaderError):
        EmailMessage("Hello\nBcc: everyone@example.org", "x", to=["desk@example.org"]).send()
    assert not ProcrastinateJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_mail_waits_while_the_server_is_down_and_goes_out_when_it_answers(
    mail_by_queue, settings, client
):
    settings.EMAIL_PORT = closed_port()  # a real connection refused
    assert client.post("/contact/", contact_data()).status_code == 302
    assert ContactMessage.objects.count() == 1  # the reader's message is kept
    run_queued_jobs(["mail"])
    (job,) = ProcrastinateJob.objects.filter(task_name=SEND)
    assert (job.status, job.attempts) == ("todo", 1)  # to be tried again later, not lost

    settings.EMAIL_PORT = mail_by_queue.port  # the server is back
    ProcrastinateJob.objects.filter(pk=job.pk).update(scheduled_at=None)  # its retry is due
    run_queued_jobs(["mail"])
    job.refresh_from_db()
    assert job.status == "succeeded" and len(mail_by_queue.received()) == 1


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_mail_goes_through_the_queue(mail_by_queue, django_user_model):
    django_user_model.objects.create_user("chief", "chief@example.org", "a-long-password-1")
    client = Client(REMOTE_ADDR="198.51.100.7")
    assert client.post("/admin/password-reset/", {"email": "chief@example.org"}).status_code == 302
    assert mail_by_queue.received() == []
    run_queued_jobs(["mail"])
    (mail,) = mail_by_queue.received()
    assert mail["To"] == "chief@example.org"
    assert "/admin/password-reset/" in mail.get_payload(decode=True).decode()
