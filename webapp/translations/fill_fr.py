"""Fill the French catalog from the table below (run from the repository root after `pybabel update`).

Keeps existing translations unless the table has one; reports the messages still untranslated.
Usage: python webapp/translations/fill_fr.py && pybabel compile -d webapp/translations
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parent / "fr" / "LC_MESSAGES" / "messages.po"

FRENCH: dict[str | tuple[str, str], str | tuple[str, str]] = {
    "%(company)s does not offer help articles on this portal.": "%(company)s ne propose pas d’articles d’aide sur ce portail.",
    ("%(num)d article", "%(num)d articles"): ("%(num)d article", "%(num)d articles"),
    ("%(num)d result for “%(query)s”", "%(num)d results for “%(query)s”"): (
        "%(num)d résultat pour « %(query)s »",
        "%(num)d résultats pour « %(query)s »",
    ),
    "(external link)": "(lien externe)",
    "+ Ticket": "+ Ticket",
    "All severities": "Toutes les gravités",
    "All stages": "Toutes les étapes",
    "Also available in": "Également disponible en",
    "Apply": "Appliquer",
    "Article actions": "Actions sur l’article",
    "Articles": "Articles",
    "Blocker": "Bloquant",
    "Breadcrumbs": "Fil d’Ariane",
    "Browse by topic": "Parcourir par thème",
    "Can't sign in?": "Impossible de vous connecter ?",
    "Cancel": "Annuler",
    "Check the fields marked below.": "Vérifiez les champs signalés ci-dessous.",
    "Choose…": "Choisir…",
    "Code": "Code",
    "Comment not found.": "Commentaire introuvable.",
    "Conversation": "Conversation",
    "Create ticket": "Créer le ticket",
    "Created": "Créé",
    "Description": "Description",
    "Details": "Détails",
    "Didn't get the code?": "Vous n’avez pas reçu le code ?",
    "Download as PDF": "Télécharger en PDF",
    "Email": "E-mail",
    "Email me a code": "M’envoyer un code par e-mail",
    "Enter a valid email address, like name@example.com.": "Saisissez une adresse e-mail valide, par exemple nom@example.com.",
    "Enter the 6-digit code we sent to %(email)s.": "Saisissez le code à 6 chiffres envoyé à %(email)s.",
    "Footer": "Pied de page",
    "Help center": "Centre d’aide",
    "High": "Haute",
    "Home": "Accueil",
    "How can we help?": "Comment pouvons-nous vous aider ?",
    "Knowledge base": "Base de connaissances",
    "Languages": "Langues",
    "Look in your spam or junk folder.": "Regardez dans votre dossier de spam ou de courrier indésirable.",
    "Low": "Basse",
    "Mail can take a minute to arrive: wait a minute, then ask for a new code.": "Un e-mail peut mettre une minute à arriver : patientez une minute, puis demandez un nouveau code.",
    "Medium": "Moyenne",
    "Most severe first": "Les plus graves d’abord",
    "New ticket": "Nouveau ticket",
    "Newest first": "Les plus récents d’abord",
    "Next": "Suivant",
    "No": "Non",
    "No articles match your search. Try other words.": "Aucun article ne correspond à votre recherche. Essayez d’autres mots.",
    "No comments yet. The support team will answer here.": "Aucun commentaire pour l’instant. L’équipe d’assistance vous répondra ici.",
    "No tickets match these filters.": "Aucun ticket ne correspond à ces filtres.",
    "Oldest first": "Les plus anciens d’abord",
    "Only verified users can see and create tickets. Ask the support team of %(company)s to verify %(email)s.": "Seuls les utilisateurs vérifiés peuvent voir et créer des tickets. Demandez à l’équipe d’assistance de %(company)s de vérifier %(email)s.",
    "Only verified users can sign in. If you are told your email address is not verified, ask the support team of %(company)s to verify it, or to add you as a contact.": "Seuls les utilisateurs vérifiés peuvent se connecter. Si l’on vous indique que votre adresse e-mail n’est pas vérifiée, demandez à l’équipe d’assistance de %(company)s de la vérifier ou de vous ajouter comme contact.",
    "Organisation": "Organisation",
    "Other languages": "Autres langues",
    "Page %(page)s of %(pages)s": "Page %(page)s sur %(pages)s",
    "Pages": "Pages",
    "Portal": "Portail",
    "Previous": "Précédent",
    "Profile menu": "Menu du profil",
    "Recent articles": "Articles récents",
    "Recently updated": "Mis à jour récemment",
    "Reply": "Répondre",
    "Reply to %(name)s": "Répondre à %(name)s",
    "Reply to a comment of this ticket.": "Répondre à un commentaire de ce ticket.",
    "Reported by": "Signalé par",
    "Search": "Rechercher",
    "Search articles": "Rechercher des articles",
    "Search the knowledge base": "Rechercher dans la base de connaissances",
    "Search: %(query)s": "Recherche : %(query)s",
    "Send": "Envoyer",
    "Send a new code": "Envoyer un nouveau code",
    "Send reply": "Envoyer la réponse",
    "Severity": "Gravité",
    "Show all tickets": "Afficher tous les tickets",
    "Sign in": "Se connecter",
    "Sign in to %(company)s": "Se connecter à %(company)s",
    "Sign in to see the tickets you reported and to create new ones.": "Connectez-vous pour voir les tickets que vous avez signalés et en créer de nouveaux.",
    "Sign out": "Se déconnecter",
    "Signed in as": "Connecté en tant que",
    "Signed in as an agent": "Connecté en tant qu’agent",
    "Sort": "Trier",
    "Stage": "Étape",
    "Subscribe": "S’abonner",
    "Support team": "Équipe d’assistance",
    "Switch workspace": "Changer d’espace de travail",
    "System": "Système",
    "That workspace does not exist.": "Cet espace de travail n’existe pas.",
    "The code was sent to %(email)s. Check that this address is right.": "Le code a été envoyé à %(email)s. Vérifiez que cette adresse est correcte.",
    "The knowledge base is not available": "La base de connaissances n’est pas disponible",
    "The support team of %(company)s has not enabled tickets here. Search the help articles, or contact the support team another way.": "L’équipe d’assistance de %(company)s n’a pas activé les tickets ici. Consultez les articles d’aide ou contactez l’équipe d’assistance autrement.",
    "There are no articles in this collection.": "Cette collection ne contient aucun article.",
    "There are no articles yet.": "Il n’y a pas encore d’articles.",
    "There is no ticket %(number)s that you can see. Check the link, or open your tickets list.": "Il n’y a aucun ticket %(number)s que vous pouvez voir. Vérifiez le lien ou ouvrez la liste de vos tickets.",
    "This article does not exist, or you cannot read it.": "Cet article n’existe pas, ou vous ne pouvez pas le lire.",
    "This article is not available in %(language)s.": "Cet article n’est pas disponible en %(language)s.",
    "Ticket": "Ticket",
    "Ticket not found": "Ticket introuvable",
    "Tickets": "Tickets",
    "Tickets are turned off": "Les tickets sont désactivés",
    "Tickets are turned off for this portal.": "Les tickets sont désactivés sur ce portail.",
    "Title": "Titre",
    "Unsubscribe": "Se désabonner",
    "Updated": "Mis à jour",
    "Updated %(date)s": "Mis à jour le %(date)s",
    "Use another email address": "Utiliser une autre adresse e-mail",
    "We sent a 6-digit code to %(email)s.": "Nous avons envoyé un code à 6 chiffres à %(email)s.",
    "We will email you a 6-digit code to sign in. No password needed.": "Nous vous enverrons par e-mail un code à 6 chiffres pour vous connecter. Aucun mot de passe n’est nécessaire.",
    "Write a comment": "Écrire un commentaire",
    "Yes": "Oui",
    "You are a customer admin: you see all of %(account)s's tickets.": "Vous êtes administrateur client : vous voyez tous les tickets de %(account)s.",
    "You are signed in as an agent. Agents work on tickets in the inbox; the portal shows a customer's tickets.": "Vous êtes connecté en tant qu’agent. Les agents traitent les tickets dans la boîte de réception ; le portail montre les tickets d’un client.",
    "You are signed out.": "Vous êtes déconnecté.",
    "You are subscribed: we will email you when this article is updated.": "Vous êtes abonné : nous vous enverrons un e-mail quand cet article sera mis à jour.",
    "You are unsubscribed from this article.": "Vous êtes désabonné de cet article.",
    "You can also sign in with a code sent to your email address.": "Vous pouvez aussi vous connecter avec un code envoyé à votre adresse e-mail.",
    "You can't see this ticket": "Vous ne pouvez pas voir ce ticket",
    "You can't see this ticket: it was reported by someone else. Ask your organisation's customer admin, or the person who reported it, to add you.": "Vous ne pouvez pas voir ce ticket : il a été signalé par quelqu’un d’autre. Demandez à l’administrateur client de votre organisation, ou à la personne qui l’a signalé, de vous ajouter.",
    'You have no tickets yet. Use "+ Ticket" to ask the support team for help.': "Vous n’avez encore aucun ticket. Utilisez « + Ticket » pour demander de l’aide à l’équipe d’assistance.",
    "You see tickets you reported.": "Vous voyez les tickets que vous avez signalés.",
    "You see tickets you reported. Your organisation's customer admins see all of %(account)s's tickets.": "Vous voyez les tickets que vous avez signalés. Les administrateurs clients de votre organisation voient tous les tickets de %(account)s.",
    "Your email address is not verified": "Votre adresse e-mail n’est pas vérifiée",
    "Your tickets": "Vos tickets",
}


def main() -> int:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    catalog.project, catalog.version, catalog.fuzzy = "snapdesk", "0.1", False
    catalog.copyright_holder = "snapdesk"
    catalog.last_translator = catalog.language_team = "snapdesk <no-reply@localhost>"
    missing = []
    for message in catalog:
        if not message.id:
            continue
        translation = FRENCH.get(message.id)
        if translation is not None:
            message.string = translation
            message.flags.discard("fuzzy")
        elif not (message.string if isinstance(message.string, str) else all(message.string)):
            missing.append(message.id)
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, omit_header=False, include_lineno=False)
    for message_id in missing:
        print("untranslated:", message_id)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
