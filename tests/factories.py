"""Rows the tests need as a starting point: a tenant of their own, a resident's conversation."""

import uuid

from bot.db import transaction
from bot.models import Conversation, Resident, Tenant
from bot.settings import Settings


def new_tenant(settings: Settings) -> int:
    """A fresh tenant (its own slug), so that tests do not see each other's rows."""
    with transaction(settings.database_url) as session:
        tenant = Tenant(slug=f"t-{uuid.uuid4().hex[:8]}", name="Bailleur test", welcome_message="Bonjour")
        session.add(tenant)
        session.flush()
        return tenant.id


def new_conversation(settings: Settings, tenant_id: int, resident_id: int | None = None) -> str:
    """A conversation of a new web resident (or of ``resident_id``, whose last one must be closed)."""
    with transaction(settings.database_url) as session:
        resident = (
            session.get_one(Resident, resident_id)
            if resident_id
            else Resident(tenant_id=tenant_id, channel="web", external_id=uuid.uuid4().hex)
        )
        conversation = Conversation(tenant_id=tenant_id, resident=resident, offered_payloads=[])
        session.add(conversation)
        session.flush()
        return conversation.id
