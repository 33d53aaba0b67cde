"""One-off generator of the spam-suspension seed corpus (templates + slots).

Written from general knowledge of support traffic and spam genres; it never reads the
evaluation data.  Output: snapdesk_spam_suspension/data/seed_corpus.jsonl
"""
import json
import random
import sys

R = random.Random(20240611)

def pick(xs):
    return R.choice(xs)

SLOTS = {
    "money": lambda: pick(["£1000", "£2,000", "$5000", "$1,500", "€800", "£250", "$10,000", "£500", "€2.500", "$750", "£100", "1000 pounds", "5000 USD"]),
    "bigmoney": lambda: pick(["$4.5 million", "£2,500,000", "$10.5 million", "€7,200,000", "USD 3.8 million"]),
    "phone": lambda: pick(["0800 555 0199", "09061 743 210", "+44 7700 900 457", "1-888-555-0142", "(800) 555-0187", "0871 234 5678", "+1 415 555 0133", "09050 001 295", "0906 300 4400", "+234 803 555 0101", "+33 6 12 34 56 78", "0845 765 4321"]),
    "shortcode": lambda: pick(["85023", "80062", "69669", "87575", "83600", "61610", "88888", "84025", "62468", "8007"]),
    "ppm": lambda: pick(["150p", "£1.50", "50p", "£3", "25p", "£1"]),
    "spamurl": lambda: pick(["http://bit.ly/3xQw9aZ", "www.win-big-now.com", "https://secure-verify-account.info/login", "http://tinyurl.com/prize2claim", "www.cheap-meds-online.biz", "https://crypto-profit-ai.io/join", "http://claim-reward.xyz/r/8842", "www.hot-singles-nearby.club", "https://account-security-check.net/verify", "http://fastloan-approved.co/apply", "www.seo-rank-experts.com/audit", "https://pharma-direct.shop", "http://t.co/x8Kq2Lm", "https://paypa1-resolution.com/confirm", "http://dhl-parcel-redelivery.top/pay", "www.txt-rewards.co.uk"]),
    "hamurl": lambda: pick(["https://imgur.com/a/Xk2p9", "https://docs.google.com/document/d/1aB3", "https://acme-bakery.com/shop", "https://github.com/ourteam/app/issues/212", "https://www.loom.com/share/7f1e2c", "https://drive.google.com/file/d/19xQ", "https://northwind-tools.de/kontakt", "https://example.org/checkout", "https://status.ourcompany.io", "https://prnt.sc/t1x9kz", "http://localhost:8080/admin", "https://blueharbor.co.uk/booking"]),
    "prize": lambda: pick(["brand new iPhone", "£1000 Tesco voucher", "holiday to the Canary Islands", "Samsung Galaxy", "$500 Walmart gift card", "free cruise for two", "Nokia camcorder", "luxury watch", "PlayStation 5", "£350 award"]),
    "drug": lambda: pick(["Viagra", "Cialis", "Xanax", "Tramadol", "Valium", "weight loss pills", "Levitra", "Phentermine"]),
    "coin": lambda: pick(["Bitcoin", "BTC", "Ethereum", "USDT", "crypto", "Dogecoin", "a new DeFi token"]),
    "bank": lambda: pick(["PayPal", "Apple ID", "Netflix", "Amazon", "your bank", "Wells Fargo", "HSBC", "Microsoft 365", "Office365", "Chase"]),
    "name": lambda: pick(["Anna", "Tom", "Maria", "James", "Priya", "Lukas", "Sofia", "Chen", "Omar", "Julie", "Pedro", "Kate", "Ahmed", "Emma", "Yuki"]),
    "orderno": lambda: pick(["#48213", "#10977", "#55120", "A-20931", "#7781", "INV-2024-0193", "#302115", "ORD-88412"]),
    "price": lambda: pick(["$49", "$19", "€29", "£12", "$99", "$240", "€9.99", "£59"]),
    "browser": lambda: pick(["Chrome", "Firefox", "Safari", "Edge", "the iOS app", "the Android app", "Safari on iPad"]),
    "feature": lambda: pick(["the export button", "the search bar", "the calendar view", "file uploads", "the invoice page", "notifications", "the dashboard", "the CSV import", "the mobile app", "the reports tab", "two-factor login", "the API"]),
    "wish": lambda: pick(["dark mode", "SSO with Okta", "a Zapier integration", "custom fields on tickets", "bulk editing", "an API for reports", "Slack notifications", "export to PDF", "more than 5 users on the basic plan", "a German translation", "keyboard shortcuts", "recurring invoices"]),
    "err": lambda: pick(["Error 500", "error 403 forbidden", "\"Something went wrong\"", "a blank white page", "error code E102", "\"session expired\"", "a timeout", "\"invalid token\""]),
    "day": lambda: pick(["Monday", "yesterday", "this morning", "last week", "Friday", "today", "since the update", "two days ago"]),
    "time": lambda: pick(["2pm", "10:30", "after 5", "tomorrow morning", "around noon", "4:15"]),
    "n": lambda: pick(["2", "3", "5", "10", "12", "20"]),
    "pct": lambda: pick(["50%", "80%", "70%", "90%", "60%"]),
}

def fill(t):
    out = t
    for k, f in SLOTS.items():
        while "{" + k + "}" in out:
            out = out.replace("{" + k + "}", f(), 1)
    return out

SPAM = [
    # prizes / lotteries
    "Congratulations! You have been selected to receive a {prize}. Call {phone} now to claim.",
    "URGENT! Your mobile number has won a {money} cash prize. To claim call {phone}. T&Cs apply, 18+",
    "WINNER!! As a valued customer you are entitled to a FREE {prize}. Reply YES to {shortcode} to claim. {ppm}/msg",
    "You have won {money} in our weekly draw! Txt CLAIM to {shortcode} now. Txt STOP to opt out",
    "FINAL NOTICE: your {prize} is waiting. Claim before midnight at {spamurl}",
    "Dear customer, you are our lucky winner of a {prize}. Collect it today: {spamurl}",
    "Free entry into our draw to win a {prize}! Text WIN to {shortcode}. {ppm} per msg, STOP to end",
    "Your number was picked at random to receive {money}! Call {phone} from a landline. Valid 12hrs only",
    "CONGRATS you've been chosen for a {money} shopping spree!!! Click {spamurl} to claim your reward",
    "You are a guaranteed winner! Call {phone} to find out what you have won. Calls {ppm}/min",
    # loans / debt / money
    "Need cash fast? Get a loan of up to {money} approved in minutes, no credit check. Apply at {spamurl}",
    "Debt problems? A new government scheme can write off up to {pct} of your debt. Call free on {phone}",
    "Pre-approved: you qualify for a {money} personal loan at 0% interest. Reply YES or call {phone}",
    "Bad credit? No problem! Instant payday loans up to {money}, money in your account today {spamurl}",
    "Earn {money} per week working from home, no experience needed. Limited places, reply INFO",
    "Make {money} a day from your phone with this simple trick. Start now: {spamurl}",
    "You may be owed {money} in PPI compensation. Reply CLAIM or call {phone}. Txt STOP to opt out",
    "Were you in an accident that wasn't your fault? You could be entitled to {money}. Call {phone}",
    # crypto / investment
    "Turn {money} into {money} in 7 days with our AI {coin} trading bot. Join now {spamurl}",
    "{coin} GIVEAWAY: send 0.1 BTC and receive 0.2 BTC back instantly. Only today! {spamurl}",
    "Exclusive presale of {coin}, 100x returns guaranteed. Secure your allocation: {spamurl}",
    "Our investors made {pct} profit last month with {coin}. Minimum deposit {money}. WhatsApp {phone}",
    "Hello dear, I am a financial advisor, I can help you earn daily profits with {coin} mining. Reply to learn more",
    "Your {coin} wallet has a pending withdrawal of {money}. Confirm your seed phrase at {spamurl}",
    # SEO / marketing
    "Hi, I noticed your website is not ranking on the first page of Google. We can get you top rankings for {price}/month. Reply for a free audit.",
    "Dear website owner, we offer high quality backlinks and guest posts on DA 50+ sites. Cheap prices, fast delivery.",
    "We build professional websites and mobile apps at very low cost. Let me know if you are interested, I can share our portfolio.",
    "Boost your sales! We will send your ad to 5 million email addresses for just {price}. {spamurl}",
    "Get 10,000 real Instagram followers for {price}. 100% safe, instant delivery: {spamurl}",
    "I can increase your website traffic by {pct} with our SEO and SMM services. Can I send you a proposal?",
    "Want more leads? Buy our verified B2B email list of 2 million contacts, today only {price}",
    "Hello, I am a freelance SEO expert. Your site has 37 errors that hurt ranking. Shall I send the report and price?",
    # adult / dating
    "Hot singles in your area want to meet you tonight! See their photos {spamurl}",
    "Lonely tonight? Chat with sexy girls now, text DATE to {shortcode}. {ppm}/msg 18+ only",
    "Someone has a crush on you! Find out who, txt LOVE to {shortcode}. {ppm} per msg",
    "XXX: see what she sent you privately. Adults only, unlock free: {spamurl}",
    "Bored? Naughty local women are waiting to chat. Call {phone} now, 18+, calls {ppm}/min",
    # phishing
    "Your account has been suspended due to unusual activity. Verify your account within 24 hours at {spamurl} or it will be closed.",
    "{bank}: we were unable to process your last payment. Update your billing details here {spamurl}",
    "Security alert from {bank}: a new sign-in was detected. If this wasn't you, confirm your identity at {spamurl}",
    "Your {bank} account is locked. To restore access please verify your information: {spamurl}",
    "Your parcel could not be delivered. Pay the {money} redelivery fee at {spamurl}",
    "Dear user, your mailbox is full. Click here to upgrade your storage and avoid losing messages {spamurl}",
    "Your password expires today. Keep your current password by logging in here: {spamurl}",
    "Tax refund notification: you are eligible for a refund of {money}. Submit your bank details at {spamurl}",
    "Invoice overdue! Please review the attached payment request and confirm your card details at {spamurl}",
    "Action required: unusual login attempt on your {bank} account. Reply with your username and password to secure it.",
    # pharmacy / health
    "Buy {drug} online without prescription, up to {pct} off. Discreet shipping {spamurl}",
    "Cheap {drug} and other meds, FDA approved, worldwide delivery. Order now {spamurl}",
    "Lose 10kg in 2 weeks with this miracle pill! Doctors hate it. {spamurl}",
    "Best prices on {drug}, 100% satisfaction, no doctor visit needed. Visit {spamurl}",
    "Enlarge your results with our natural formula, guaranteed or money back!!! {spamurl}",
    # call this number / premium SMS
    "You have 1 new voicemail. Please call {phone} to listen to your message.",
    "Ringtone club: get the hottest tones every week. Txt TONE to {shortcode}, {ppm}/wk, txt STOP to end",
    "FREE MSG: your subscription to our quiz service is now active, {ppm} per week. To cancel reply STOP",
    "Important information for your mobile: call {phone} urgently regarding your account. Calls cost {ppm}/min",
    "Your free mobile upgrade is ready! Latest camera phones, free line rental. Call {phone} or reply CALL",
    "U have a secret admirer who wants 2 get in touch! Reply ADMIRER to {shortcode} 2 find out. {ppm}/msg",
    "Claim ur free holiday now! Txt GO to {shortcode}. Only {ppm}. Reply STOP to unsubscribe",
    "Your mobile contract is due for renewal, get double minutes and texts FREE. Call {phone} today",
    "Txt PLAY to {shortcode} to win {money}! Answer 3 easy questions. {ppm}/msg, 16+",
    "We tried to contact you about your reward. Call {phone} quoting claim code X45K. Expires in 48hrs",
    # scams / other
    "I am Barrister {name} Smith, representing the estate of a late client who left {bigmoney} with no heir. Contact me for details.",
    "Greetings, I need a trustworthy partner to transfer {bigmoney} out of my country. You will receive 30%.",
    "Hello, I'm {name}, I saw your profile and want to be friends. Write me on WhatsApp {phone}",
    "Please buy 5 Apple gift cards of $100 for me urgently and send me the codes. I am in a meeting. - CEO",
    "Amazing deal! Designer watches and handbags {pct} off, today only: {spamurl}",
    "Work from home and earn {money} weekly as a mystery shopper. Reply with your full name and address.",
    "Limited offer!!! Buy now and get a FREE gift, only {n} left in stock: {spamurl}",
    # other languages
    "¡Felicidades! Has ganado un {prize}. Reclama tu premio aquí: {spamurl}",
    "Su cuenta ha sido suspendida. Verifique sus datos en {spamurl} para evitar el cierre definitivo.",
    "Préstamos rápidos sin aval hasta {money}, aprobación inmediata. Llame al {phone}",
    "Gana {money} desde casa sin experiencia. Plazas limitadas, responde INFO",
    "Félicitations ! Vous avez gagné un {prize}. Réclamez votre cadeau ici : {spamurl}",
    "Votre compte a été bloqué suite à une activité inhabituelle. Confirmez vos informations : {spamurl}",
    "Votre colis est en attente. Payez les frais de livraison de {money} sur {spamurl}",
    "Herzlichen Glückwunsch! Sie haben einen {prize} gewonnen. Jetzt Gewinn abholen: {spamurl}",
    "Ihr Konto wurde gesperrt. Bitte bestätigen Sie Ihre Daten unter {spamurl}",
    "Kredit ohne Schufa bis {money}, Auszahlung in 24 Stunden. Jetzt anrufen {phone}",
    "Parabéns! Você ganhou um {prize}. Resgate agora: {spamurl}",
    "Sua conta foi bloqueada. Atualize seus dados em {spamurl} para evitar o cancelamento.",
]

SPAM_SUBJECTS = ["You have WON!", "URGENT: action required", "Account suspended", "Re: your prize", "Final notice",
                 "Exclusive offer just for you", "SEO proposal", "Verify your account", "Payment failed",
                 "Limited time offer!!!", "Investment opportunity", "Hello dear", "Your parcel", "", "", ""]

HAM = [
    # login / account
    "Hi, I can't log in to my account, it keeps saying invalid password even after I reset it.",
    "The password reset email never arrives. I checked the spam folder too.",
    "My two-factor code is always rejected in {browser}. I'm locked out, can you help?",
    "I got locked out after too many login attempts, how long do I have to wait?",
    "I changed my email address and now I can't sign in with the new one.",
    "Our new colleague {name} did not receive the invitation email to join our workspace.",
    "Can you please delete my account and all my data? Thanks, {name}",
    "How do I change the owner of our account? {name} left the company.",
    "I lost my phone with the authenticator app, how can I recover access to my account?",
    "The login page just reloads when I click sign in, using {browser}.",
    "Is it possible to merge two accounts? I accidentally created one with my personal email.",
    # billing
    "I was charged twice for my subscription this month, order {orderno}. Can you refund one?",
    "Can I get an invoice with our VAT number on it? The last one was {orderno}.",
    "How do I update the credit card on file? The old one expired.",
    "Why did my bill go up to {price}? I didn't change my plan.",
    "We'd like to switch from monthly to annual billing, is there a discount?",
    "I cancelled my trial on {day} but was still charged {price}. Please refund.",
    "Do you offer a discount for non-profits or schools?",
    "The invoice shows the wrong company address, could you correct it?",
    "Is there a free plan? We are a small team of {n} people.",
    "The checkout page says 20% off but I was charged the full price of {price}.",
    "Can we pay by bank transfer instead of card? Our finance team prefers it.",
    "Please send me receipts for the last {n} months, our accountant needs them.",
    "My free trial ended and I want to upgrade, but the payment page shows {err}.",
    "We won a big new client and need {n} more seats, how do I add them?",
    # bugs
    "{feature} does nothing when I click it in {browser}.",
    "The app crashes every time I upload a photo since {day}.",
    "Getting {err} when I save my settings. Screenshot: {hamurl}",
    "{feature} is very slow today, pages take about 30 seconds to load.",
    "After the last update {feature} shows {err}. Steps to reproduce: open a ticket, click edit, save.",
    "Dates in {feature} are shown in the wrong timezone, everything is one hour off.",
    "I recorded a short video of the bug: {hamurl}",
    "Emails from our customers stopped appearing in the inbox {day}. Is something down?",
    "The CSV export cuts off names with accents, e.g. José becomes Jos?.",
    "Search doesn't find tickets older than {n} months.",
    "{feature} shows {err} for everyone in our team, started {day}.",
    "Notifications arrive twice on my phone, both from the app and by email.",
    "I followed the steps in your docs ({hamurl}) but the webhook is never called.",
    "Our site {hamurl} shows your chat widget twice on the same page.",
    "The PDF invoice is blank when opened in {browser}.",
    # feature requests
    "Would be great if you could add {wish}.",
    "Any plans to support {wish}? It would save us a lot of time.",
    "Feature request: {wish}. Our team of {n} would use it daily.",
    "Is {wish} on the roadmap? We are evaluating tools and it's a must-have for us.",
    "Could you allow {wish}? Happy to beta test.",
    # thanks / closing
    "Thanks a lot, that fixed it!",
    "Great support, really appreciate the quick reply, {name}.",
    "Perfect, works now. Have a nice weekend!",
    "Thank you so much for your help, you saved my day.",
    "Thanks {name}, all good on our side, you can close the ticket.",
    "Awesome, thanks for the free extension of our trial!",
    "Got it, I'll try that tonight and let you know.",
    "Ok thanks, I'll wait for your update.",
    # casual / short replies
    "ok",
    "Sure, talk tomorrow.",
    "Sorry I missed your call, I'll call you back later.",
    "I'm in a meeting right now, will reply after {time}.",
    "No worries, take your time.",
    "Yes that's me. See you at {time} then.",
    "Can you call me back tomorrow at {time}? My number is {phone}.",
    "Please call me on {phone}, it is easier to explain on the phone.",
    "I'll be home {time}, the technician can come then.",
    "Hey, just checking if you got my last message?",
    "Sounds good, let's do that.",
    "Hi {name}, are you still working on my ticket? No rush, just curious.",
    "Great, see you at the demo on {day}.",
    "I tried to call support but nobody answered, can someone call me?",
    "Not sure what you mean, can you explain again?",
    "Lol yes that was my mistake, sorry!",
    "Happy new year to the whole team!",
    "Where can I find the user guide?",
    "What are your opening hours on weekends?",
    # orders / shipping / general
    "My order {orderno} hasn't arrived yet, it has been {n} days.",
    "I received the wrong item in order {orderno}, how do I return it?",
    "Can I change the delivery address for order {orderno}?",
    "The tracking link in your email does not work.",
    "Do you ship to Canada? How long does delivery take?",
    "I would like to book an appointment for {day} at {time}.",
    "Can you confirm that you received my documents?",
    "How do I export all my data before we switch tools?",
    "We need a data processing agreement for GDPR, who should I contact?",
    "Is there an API limit? We hit {err} after {n} requests.",
    "Can you add my colleague {name} as an admin?",
    "Our company name changed, please update it on the account.",
    # more everyday support traffic
    "Can we move our onboarding call to {day}? Something came up.",
    "I'll send you the files tonight, my laptop is at the office.",
    "My manager asked me to check whether our plan includes phone support.",
    "Is the service down? Nothing loads for me since {time}.",
    "How many users can we have on the {price} plan?",
    "I clicked the link in your email to confirm my address but it says it expired.",
    "We have a new phone number for the shop: {phone}. Please update our profile.",
    "Do you have a number I can call? It's urgent, our checkout is broken.",
    "Can I get a copy of the contract we signed last year?",
    "I'm trying to connect our Shopify store but get {err}.",
    "The text messages with the verification code arrive very late, sometimes after 10 minutes.",
    "We reply to customers by SMS, is there a way to see the replies in the inbox?",
    "Will the price change when we renew? We pay {price} per month now.",
    "Who won the design contest you announced? Just curious!",
    "I attached the screenshot, the error appears right after I press send.",
    "Please stop sending me the weekly newsletter, I only want ticket updates.",
    "How can I unsubscribe from the marketing emails but keep the invoices?",
    "Sorry for the late reply, I was on holiday. Yes, the issue is still there.",
    "I think there's a typo on your pricing page, it says {price} per yera.",
    "Is my data stored in the EU?",
    "We are moving offices, please send the hardware to the new address.",
    "Hi again, the fix worked for a day but now {feature} shows {err} again.",
    "My colleague {name} says it works on her machine, but not on mine with {browser}.",
    "Could you extend our trial by a week? We need more time to test with the team.",
    "When is the next maintenance window?",
    "I can't find where to change the language of the interface.",
    "Can you call our office on {phone} between 9 and 5 to discuss the quote?",
    "I need to reset the password for our shared support mailbox.",
    "The mobile app logs me out every few minutes.",
    "We want to cancel at the end of the month, what do we need to do?",
    "Your last update broke {feature}. Please roll it back!!",
    "URGENT: our whole team is locked out, please help ASAP!",
    "Hello, hello, anyone there? I've been waiting {n} days for an answer.",
    "Where do I send the signed form?",
    "Quick question: does the free plan include the mobile app?",
    "I got an email saying I won a prize from you, is that real or a scam?",
    "Someone sent our customers a fake invoice using your name, just so you know.",
    "I am not able to log in since {day}, it says my account is disabled.",
    "I am the admin of our workspace and I cannot see the billing page.",
    "I am getting {err} every time I open {feature}.",
    "I am sorry to bother you again, but the problem is back.",
    "I am writing on behalf of {name}, who is on leave. Can you send me the invoice?",
    "We are a small shop and we are having trouble with {feature}, can you help?",
    "You are right, it was a setting on our side. All fixed now.",
    "I have been a customer for 3 years and this is the first time I have had a problem.",
    "Please let me know when it will be fixed, our customers are waiting.",
    "I will be out of the office until {day}, my colleague {name} will follow up.",
    # other languages
    "Hola, no puedo iniciar sesión en mi cuenta, dice que la contraseña es incorrecta.",
    "Me cobraron dos veces este mes, pedido {orderno}. ¿Pueden devolverme el dinero?",
    "¿Cómo cambio la tarjeta de crédito? Gracias.",
    "La aplicación se cierra cuando subo una foto. Uso {browser}.",
    "¡Muchas gracias por la ayuda, ya funciona!",
    "¿Tienen planes de añadir {wish}?",
    "Bonjour, je n'arrive pas à me connecter à mon compte depuis lundi.",
    "J'ai été débité deux fois pour mon abonnement, pouvez-vous me rembourser ?",
    "Pouvez-vous m'envoyer une facture avec notre numéro de TVA ?",
    "Merci beaucoup, le problème est résolu !",
    "L'export CSV ne fonctionne pas dans {browser}.",
    "Hallo, ich kann mich nicht anmelden, das Passwort wird nicht akzeptiert.",
    "Ich wurde diesen Monat doppelt belastet, Bestellung {orderno}. Bitte erstatten.",
    "Vielen Dank für die schnelle Hilfe, jetzt klappt es!",
    "Wann kommt die deutsche Übersetzung der App?",
    "Die Rechnung hat die falsche Adresse, können Sie das korrigieren?",
    "Olá, não consigo acessar minha conta, o código de verificação não chega.",
    "Fui cobrado duas vezes, pedido {orderno}. Podem estornar?",
    "Obrigado pela ajuda, funcionou!",
    "Ciao, non riesco ad accedere al mio account. Grazie.",
    "Hoi, ik kan niet inloggen sinds de laatste update.",
]

HAM_SUBJECTS = ["Login problem", "Billing question", "Bug report", "Feature request", "Re: your ticket",
                "Invoice", "Thanks!", "Question", "Help needed", "Problem with export", "Refund", "",
                "", "", "Order {orderno}", "Re: Re: support"]
HAM_DOMAINS = ["acme.com", "northwind.de", "blueharbor.co.uk", "contoso.io", "fabrikam.fr", "globex.es",
               "initech.com", "umbrella-labs.org", "bakery-muller.de", "sunrise-dental.com"]
FREEMAIL = ["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "gmx.de", "icloud.com", "orange.fr"]
SPAM_DOMAINS = ["promo-deals.xyz", "winner-notify.info", "mail-secure-verify.com", "best-offers.top",
                "seo-growth-agency.com", "cryptowealth.io", "cheap-rx.biz", "lucky-draw.club"]


def sender(is_spam):
    r = R.random()
    if r < 0.45:  # chat / SMS channel: no sender address
        return {}
    if is_spam:
        dom = pick(FREEMAIL) if R.random() < 0.5 else pick(SPAM_DOMAINS)
        return {"sender_email": f"{pick(['info', 'promo', 'support', 'admin', 'j.smith', 'winner'])}{R.randint(1, 999)}@{dom}",
                "sender_known": R.random() < 0.02}
    dom = pick(FREEMAIL) if R.random() < 0.45 else pick(HAM_DOMAINS)
    return {"sender_email": f"{pick(['anna', 'tom.b', 'maria', 'j.lee', 'office', 'lukas', 'priya', 'ops'])}@{dom}",
            "sender_known": R.random() < 0.45}


GREET = ["Hi,", "Hello,", "Hi team,", "Good morning,", "Hey,", "Dear support,", "Hello {name},"]
SIGN = ["Thanks", "Thanks!", "Best regards, {name}", "Cheers, {name}", "Kind regards", "Thank you"]
SPAM_GREET = ["Dear customer,", "Dear friend,", "Hello,", "Attention:", "Dear valued customer,"]
FOREIGN = ("Hola", "Bonjour", "Hallo", "Olá", "Ciao", "Hoi", "Me ", "J'", "Pouvez", "Merci", "L'", "Ich", "Vielen",
           "Wann", "Die ", "Fui", "Obrigado", "¡", "¿", "La ", "Su ", "Préstamos", "Gana", "Félicitations", "Votre",
           "Herzlichen", "Ihr ", "Kredit", "Parabéns", "Sua ")


def decorate(text, is_spam):
    if text.startswith(FOREIGN) or len(text) < 25:
        return text
    if is_spam:
        if R.random() < 0.2:
            text = pick(SPAM_GREET) + " " + text
        return text
    if R.random() < 0.4:
        text = fill(pick(GREET)) + " " + text
    if R.random() < 0.4:
        text = text + " " + fill(pick(SIGN))
    return text


def style(text, is_spam):
    # vary the surface form: shouting, texting abbreviations, lower-case typing
    r = R.random()
    if is_spam and r < 0.15:
        return text.upper()
    if not is_spam and r < 0.03:  # some real customers type in capitals too
        return text.upper()
    if r < 0.25:
        return text.lower()
    return text


def gen(templates, subjects, is_spam, per_template):
    rows = []
    for t in templates:
        k = per_template if "{" in t else max(1, per_template // 2)
        if not is_spam and len(t) >= 25 and not t.startswith(FOREIGN):
            k = max(k, 3)  # greetings / sign-offs make these distinct
        for _ in range(k):
            row = {"label": "spam" if is_spam else "ham", "text": style(decorate(fill(t), is_spam), is_spam)}
            s = sender(is_spam)
            if s.get("sender_email") and R.random() < 0.8:
                subj = fill(pick(subjects))
                if subj:
                    row["subject"] = subj
            row.update(s)
            rows.append(row)
    return rows


rows = gen(SPAM, SPAM_SUBJECTS, True, 6) + gen(HAM, HAM_SUBJECTS, False, 6)
seen, out = set(), []
for r in rows:
    key = (r["label"], r["text"].lower())
    if key not in seen:
        seen.add(key)
        out.append(r)
R.shuffle(out)
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    for r in out:
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")
print(len(out), sum(r["label"] == "spam" for r in out))
