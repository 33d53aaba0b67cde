"""All models; importing this package registers every table on ``core.db.db.metadata``."""

from core.models.articles import Article, Collection
from core.models.conversations import Conversation, ConversationTag, Message, StageChange
from core.models.identity import OtpChallenge, UsedToken
from core.models.people import Account, AccountDomain, ApiToken, Contact, User
from core.models.snapins import JobKey, SnapinRecord, SnapinSetting
from core.models.tickets import Comment, Ticket, ticket_reporters
from core.models.workspace import Workspace

__all__ = [
    "Account", "AccountDomain", "ApiToken", "Article", "Collection", "Comment", "Contact",
    "Conversation", "ConversationTag", "JobKey", "Message", "OtpChallenge", "SnapinRecord",
    "SnapinSetting", "StageChange", "Ticket", "UsedToken", "User", "Workspace", "ticket_reporters",
]
