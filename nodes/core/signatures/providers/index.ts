/**
 * The registry: one import per provider file, in the order the README table lists them. test/unit/signatures/registry.test.ts
 * fails when a file in this folder is missing here. Steps for a new provider: README, "Adding a provider".
 */
import type { Scheme } from '../scheme';
import airtable from './airtable';
import asana from './asana';
import authorizeNet from './authorize-net';
import bitbucket from './bitbucket';
import brex from './brex';
import calCom from './cal-com';
import calendly from './calendly';
import checkoutCom from './checkout-com';
import clerk from './clerk';
import clickup from './clickup';
import coinbaseCommerce from './coinbase-commerce';
import convoy from './convoy';
import customerIo from './customer-io';
import discord from './discord';
import dropbox from './dropbox';
import elevenlabs from './elevenlabs';
import genericHmac from './generic-hmac';
import genericToken from './generic-token';
import github from './github';
import gitlab from './gitlab';
import gocardless from './gocardless';
import helpScout from './help-scout';
import hubspot from './hubspot';
import intercom from './intercom';
import intuitQuickbooks from './intuit-quickbooks';
import jira from './jira';
import lemonSqueezy from './lemon-squeezy';
import linear from './linear';
import liveblocks from './liveblocks';
import mailgun from './mailgun';
import meta from './meta';
import microsoftGraph from './microsoft-graph';
import mux from './mux';
import okta from './okta';
import openai from './openai';
import paddle from './paddle';
import pagerduty from './pagerduty';
import paystack from './paystack';
import polar from './polar';
import razorpay from './razorpay';
import replicate from './replicate';
import resend from './resend';
import sanity from './sanity';
import segment from './segment';
import sendgrid from './sendgrid';
import sentry from './sentry';
import shopify from './shopify';
import slack from './slack';
import square from './square';
import standardWebhooks from './standard-webhooks';
import stripe from './stripe';
import svix from './svix';
import tally from './tally';
import telegram from './telegram';
import trello from './trello';
import twilio from './twilio';
import twitch from './twitch';
import typeform from './typeform';
import vercel from './vercel';
import webflow from './webflow';
import websub from './websub';
import woocommerce from './woocommerce';
import workos from './workos';
import x from './x';
import xero from './xero';
import zendesk from './zendesk';
import zoom from './zoom';

export const SCHEMES: readonly Scheme[] = [
	github, gitlab, stripe, slack, shopify, standardWebhooks, svix, twilio, linear, paddle, zoom, twitch, discord,
	bitbucket, jira, meta, intercom, typeform, calendly, hubspot, square, zendesk, mailgun, sendgrid, convoy,
	openai, resend, clerk, replicate, polar, liveblocks, mux, paystack, lemonSqueezy, woocommerce, vercel, calCom, telegram,
	razorpay, coinbaseCommerce, gocardless, sentry, helpScout, clickup, checkoutCom, webflow,
	workos, elevenlabs, pagerduty, authorizeNet, tally, xero, intuitQuickbooks, segment, customerIo, airtable, sanity, brex,
	dropbox, trello, x, okta, asana, microsoftGraph, websub,
	genericHmac, genericToken,
];

const BY_ID = new Map(SCHEMES.map((scheme) => [scheme.id, scheme]));

/** Unknown ids are a programming error, so this one throws. */
export function schemeById(id: string): Scheme {
	const scheme = BY_ID.get(id);
	if (!scheme) throw new TypeError(`Unknown signature provider "${id}". Known: ${[...BY_ID.keys()].join(', ')}.`);
	return scheme;
}
